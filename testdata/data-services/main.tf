# Managed data services in a VPC: each is a workload in the subnets of its subnet group
# (or its own subnet list), behind its own groups.
resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone       = ["us-east-1a", "us-east-1b"][count.index]
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# Wide open: every service below sits behind it.
resource "aws_security_group" "data" {
  name   = "data"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Redshift in the public subnets, publicly accessible.
resource "aws_redshift_subnet_group" "public" {
  name       = "public"
  subnet_ids = aws_subnet.public[*].id
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier        = "warehouse"
  node_type                 = "ra3.xlplus"
  master_username           = "admin"
  master_password           = "Password123!"
  cluster_subnet_group_name = aws_redshift_subnet_group.public.name
  vpc_security_group_ids    = [aws_security_group.data.id]
  publicly_accessible       = true
  skip_final_snapshot       = true
}

# Amazon MQ in a public subnet, not publicly accessible.
resource "aws_mq_broker" "events" {
  broker_name        = "events"
  engine_type        = "RabbitMQ"
  engine_version     = "3.13"
  host_instance_type = "mq.t3.micro"
  subnet_ids         = [aws_subnet.public[0].id]
  security_groups    = [aws_security_group.data.id]
  user {
    username = "admin"
    password = "Password1234!"
  }
}

# OpenSearch in the public subnets: a VPC domain has no public address.
resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.13"
  cluster_config {
    instance_type  = "t3.small.search"
    instance_count = 2
    zone_awareness_enabled = true
  }
  ebs_options {
    ebs_enabled = true
    volume_size = 10
  }
  vpc_options {
    subnet_ids         = aws_subnet.public[*].id
    security_group_ids = [aws_security_group.data.id]
  }
}

# DocumentDB in the public subnets: no public access in DocumentDB.
resource "aws_docdb_subnet_group" "public" {
  name       = "public"
  subnet_ids = aws_subnet.public[*].id
}

resource "aws_docdb_cluster" "docs" {
  cluster_identifier     = "docs"
  master_username        = "admin"
  master_password        = "Password123!"
  db_subnet_group_name   = aws_docdb_subnet_group.public.name
  vpc_security_group_ids = [aws_security_group.data.id]
  skip_final_snapshot    = true
}

resource "aws_docdb_cluster_instance" "docs" {
  identifier         = "docs-1"
  cluster_identifier = aws_docdb_cluster.docs.id
  instance_class     = "db.t3.medium"
}

# Neptune in the private subnets.
resource "aws_neptune_subnet_group" "private" {
  name       = "private"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_neptune_cluster" "graph" {
  cluster_identifier        = "graph"
  neptune_subnet_group_name = aws_neptune_subnet_group.private.name
  vpc_security_group_ids    = [aws_security_group.data.id]
  skip_final_snapshot       = true
}

resource "aws_neptune_cluster_instance" "graph" {
  cluster_identifier = aws_neptune_cluster.graph.id
  instance_class     = "db.t3.medium"
}

# MSK in the public subnets, brokers with public addresses.
resource "aws_msk_cluster" "stream" {
  cluster_name           = "stream"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 2
  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = aws_subnet.public[*].id
    security_groups = [aws_security_group.data.id]
    connectivity_info {
      public_access {
        type = "SERVICE_PROVIDED_EIPS"
      }
    }
  }
}
