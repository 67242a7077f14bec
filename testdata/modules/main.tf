# Two environments from one local module, called with for_each. Each instance of
# modules/network builds a VPC and subnets (count) and calls modules/routing, which receives
# vpc_id and subnet ids through variables. Inside modules/network the VPC id flows through
# local.vpc_id (via the secondary CIDR association, as terraform-aws-modules/vpc does).
#
#   prod: 3 AZs, one NAT gateway per AZ                  -> near miss for TFVPC301/302
#   dev:  2 AZs, single_nat_gateway = true (to save money) -> TFVPC302, and TFVPC301 for the
#         us-east-1b private subnet, at module.network["dev"].module.routing.aws_nat_gateway.this[0]
# A root security group and instance use module outputs (module.network["prod"].*).

locals {
  environments = {
    prod = {
      cidr               = "10.100.0.0/16"
      secondary_cidrs    = ["10.101.0.0/16"]
      azs                = ["us-east-1a", "us-east-1b", "us-east-1c"]
      single_nat_gateway = false
    }
    dev = {
      cidr               = "10.200.0.0/16"
      secondary_cidrs    = []
      azs                = ["us-east-1a", "us-east-1b"]
      single_nat_gateway = true
    }
  }
}

module "network" {
  source   = "./modules/network"
  for_each = local.environments

  name               = each.key
  cidr               = each.value.cidr
  secondary_cidrs    = each.value.secondary_cidrs
  azs                = each.value.azs
  single_nat_gateway = each.value.single_nat_gateway
}

resource "aws_security_group" "app" {
  name        = "prod-app"
  description = "prod application servers"
  vpc_id      = module.network["prod"].vpc_id

  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [module.network["prod"].vpc_cidr_block]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.small"
  subnet_id              = module.network["prod"].private_subnet_ids[0]
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "prod-app" }
}

output "private_subnet_ids" {
  value = { for env, net in module.network : env => net.private_subnet_ids }
}
