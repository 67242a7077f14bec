# Fleets, not instances: what AWS launches from an Auto Scaling group, an ECS service and
# RDS, each in the subnets it names and behind the groups it names.

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id
  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Web fleet: public subnets, a public IPv4 from the launch template.
resource "aws_launch_template" "web" {
  name          = "web"
  image_id      = "ami-12345678"
  instance_type = "t3.micro"
  network_interfaces {
    device_index                = 0
    associate_public_ip_address = true
    security_groups             = [aws_security_group.web.id]
  }
}

resource "aws_autoscaling_group" "web" {
  name                = "web"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = aws_subnet.public[*].id
  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}

# Workers: private subnets, the same world-open SSH group, through a launch template's
# own group list. The internet cannot reach them: no finding.
resource "aws_launch_template" "worker" {
  name_prefix            = "worker-"
  image_id               = "ami-12345678"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.web.id]
}

resource "aws_autoscaling_group" "worker" {
  name_prefix         = "worker-"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [for s in aws_subnet.private : s.id]
  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.worker.id
      }
    }
  }
}

# Legacy fleet: a launch configuration in the public subnets without a public IPv4.
resource "aws_launch_configuration" "legacy" {
  name_prefix                 = "legacy-"
  image_id                    = "ami-12345678"
  instance_type               = "t3.micro"
  security_groups             = [aws_security_group.web.id]
  associate_public_ip_address = false
}

resource "aws_autoscaling_group" "legacy" {
  name                 = "legacy"
  min_size             = 1
  max_size             = 1
  vpc_zone_identifier  = [aws_subnet.public[1].id]
  launch_configuration = aws_launch_configuration.legacy.name
}

# An ECS service on Fargate in the public subnets, with public IPv4 addresses.
resource "aws_security_group" "api" {
  name   = "api"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "api_rdp" {
  security_group_id = aws_security_group.api.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name  = "api"
    image = "public.ecr.aws/nginx/nginx:latest"
    portMappings = [{ containerPort = 3389 }]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = aws_subnet.public[*].id
    security_groups  = [aws_security_group.api.id]
    assign_public_ip = true
  }
}

# Databases: one publicly accessible in the public subnets, one not.
resource "aws_db_subnet_group" "public" {
  name       = "public"
  subnet_ids = aws_subnet.public[*].id
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "reporting" {
  identifier             = "reporting"
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  username               = "app"
  password               = "not-a-real-password"
  db_subnet_group_name   = aws_db_subnet_group.public.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = true
  skip_final_snapshot    = true
}

resource "aws_db_instance" "orders" {
  identifier             = "orders"
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  username               = "app"
  password               = "not-a-real-password"
  db_subnet_group_name   = aws_db_subnet_group.public.name
  vpc_security_group_ids = [aws_security_group.db.id]
  skip_final_snapshot    = true
}
